"""Tables, the engine factory and migrations. No business rules live here."""
