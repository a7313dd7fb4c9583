"""Episode pages: census, waitlist and admission, aftercare, and the journey tab."""
