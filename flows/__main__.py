"""``python -m flows`` is the ``symptom-claims`` command."""
from flows.cli import main

raise SystemExit(main())
