"""EventBridge Scheduler for the local stack: the emulator keeps the schedules, this runs them."""
