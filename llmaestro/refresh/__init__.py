"""The scheduled refresh: detectors read provider APIs (:mod:`.detectors`), drift plans minimal
YAML edits (:mod:`.drift`), the run applies and validates them, and :mod:`.github` opens one
pull request per provider.
"""
