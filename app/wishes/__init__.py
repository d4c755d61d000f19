"""微心愿 wishes: a resident's small need, reviewed by staff, claimed and fulfilled by a
volunteer or party member of the same village, confirmed by the wisher."""
