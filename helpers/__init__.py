"""Instructor-side tools of the recurrent networks course.

The packages are laid out by concern: ``reference`` holds the math students
implement, ``grading`` decides scores outside the student's kernel, ``samples``
builds sample submissions, and ``commands`` holds the instructor commands.
"""
