"""The embeddable visitor widget: static JavaScript, CSS and translation catalogs."""
