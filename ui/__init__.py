"""The Streamlit shell: the frame every page draws, the session state and caches, shared widgets."""
