"""The only code that changes data. Every call takes the acting staff member,
checks permission, writes its audit event in the same transaction, and raises a
`counter_tui.errors.DomainError` with a sentence a person can act on."""
