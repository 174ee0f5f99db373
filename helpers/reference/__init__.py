"""Reference implementations. They run in the grader process, never in a student kernel."""
