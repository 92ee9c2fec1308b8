"""Registry scale (issue 18): the pure per-patient part of a cohort run.

``replay`` gives the engine's answer at every visit of one patient without re-assessing the whole
history from scratch at each visit; ``tables`` turns long-format rows of one patient into a case
(with one report of problems) and the replay into visit, line and patient rows. File I/O, the
engines and the report live in the top-level ``registry`` package, which imports this one.
"""
