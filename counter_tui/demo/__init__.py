"""The demo shop: a realistic homeware shop, built through the services.

Everything goes through the same service calls the app makes, so the audit log,
ownership rules and due times of the demo are the real ones. History is laid down
with a `ManualClock` walking forward through the past weeks; today's floor is placed
relative to the context's "now", whatever time or day that is (the shop may be
closed). The same seed and the same "now" always give the same shop, so snapshot
tests and screenshots can rely on it.
"""
