"""A generic client for Gradio servers over HTTP; it knows no provider."""
