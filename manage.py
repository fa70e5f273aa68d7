#!/usr/bin/env python
import gc
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "odpe.settings")
    # Django's start makes some hundred thousand objects that live as long as the command: the garbage
    # collector, walking them again and again while they are made, costs a command a tenth of a second
    # or more. It is held off until every app is ready (odpe.roof's AppConfig), then set going again.
    gc.disable()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
