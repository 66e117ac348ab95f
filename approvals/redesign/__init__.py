"""流程再造: the rules that flag redundant steps, the days each change saves, the process after, 四减;
beside them the legal-basis tiers and the merge candidates (a list of their own, not flags).

May import: the foundation, approvals.processes and approvals.figures.
"""
