import sys

from homebrain.cli.main import main

sys.exit(main())
