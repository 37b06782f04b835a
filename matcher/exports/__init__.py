"""Files people take away: shortlists, fair grids, agendas and calendars."""
