"""KIP SAQ services: questionnaires, filling, verification, masa sanggah and verified scores.

Below every area: these functions never import a page module and never commit; the
caller commits (or rolls back) the change together with its audit events.
"""
