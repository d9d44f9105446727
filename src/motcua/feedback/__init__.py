"""Citizens' feedback: satisfaction ratings, the Circular 01/2018 survey, follow-ups and complaints."""
