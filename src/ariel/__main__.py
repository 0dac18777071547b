"""``python -m ariel`` is the ``ariel`` command."""

from ariel.cli.main import main

raise SystemExit(main())
