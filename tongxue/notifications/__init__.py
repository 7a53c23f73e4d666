"""Notifications: in-app messages to an account, and the channels (e-mail; later WeChat or SMS)
that carry them out of the platform.

Upper apps (the rights desk, cadres) call `services.notify()` after their state changes; this
app imports nothing from them.
"""
