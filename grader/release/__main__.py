"""`python3 -m grader.release OUT`: the same as `grade-release OUT`."""

from grader.cli import release_main

release_main(prog_name="grade-release")
