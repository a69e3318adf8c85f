"""From configs to files: render jobs and their worker processes, episodes, exports
(mp4, webm, GIF, poster, HTML), encoding settings and graphical-test helpers.
"""
