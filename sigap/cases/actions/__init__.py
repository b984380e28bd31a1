"""Every write to cases and reports: atomic, actor keyword-only, audited, tasks on commit."""
