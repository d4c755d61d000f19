"""微实事 projects: voting rounds, proposals, ballots, results, milestones, spending, ratings."""
