"""PainRehab: runs an intensive interdisciplinary pediatric pain rehab program."""
