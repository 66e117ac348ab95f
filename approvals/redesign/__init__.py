"""流程再造: the rules that flag redundant steps, the days each change saves, the process after, 四减.

May import: the foundation, approvals.processes and approvals.figures.
"""
