"""A one-app Django project that draws an image from a prompt with FLUX on Hugging Face Spaces.

Run it from the repository's root (or from examples/, without --pythonpath):

    python -m django runserver --pythonpath examples --settings django_app.settings

then open http://127.0.0.1:8000. ``views.py`` has the SDK code: one client shared by every
request (it is thread-safe), a form view that generates on POST, and a view serving the images,
which are kept in Django's in-memory cache.

Configuration comes from the environment: HF_TOKEN (your ZeroGPU quota), and HFSPACE_SPACE_URLS
to use duplicated or local Spaces instead of the public ones.
"""
