import os

# Tests run with development settings (no HTTPS redirects, a throwaway secret key).
os.environ.setdefault("DJANGO_DEBUG", "1")
