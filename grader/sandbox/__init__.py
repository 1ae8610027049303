"""The sandbox: student code runs in children forked from a clean warm process.

judge_side/ runs in the trusted judge and treats every reply as hostile; child_side/ runs in the
warm process and the confined worker. Only channel, limits and wire-level messages are shared.
"""
