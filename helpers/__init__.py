"""Instructor-side tools of the recurrent networks course.

The packages are laid out by concern. ``reference`` contains the math students
implement, ``grading`` computes scores outside the student's kernel, ``assignments``
and ``catalogue`` describe what is graded, ``samples`` builds sample submissions,
and ``cli`` with the modules it imports runs the instructor commands.
"""
