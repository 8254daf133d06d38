"""From SOP to audit and training: scorecards from the SOP's Quality checks, knowledge checks from changes."""
