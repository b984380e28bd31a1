"""Demo data: agencies, users and a large, realistic, seeded stream of reports (not a Django app).

- `agencies`: the demo agencies, their units and one user per role;
- `textgen`: a seeded generator of Indonesian reports, with duplicate groups and template traps;
- `writer`: the bulk writer (sealed contents, numbers, states, deadlines, audit) behind
  `sigap demo-data` and bench/bench_demo_data.py.
"""
