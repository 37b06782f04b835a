"""The web application's entry point: ``create_app`` lives in matcher_web/app.py.

    matcher serve                      # waitress, the production server
    flask --app api run                # Flask's development server
"""

from matcher_web.app import create_app

__all__ = ["create_app"]
