"""PainRehab: software for an intensive interdisciplinary pediatric pain rehabilitation program."""
