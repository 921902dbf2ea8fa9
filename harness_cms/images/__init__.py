"""The image library: uploads checked and cleaned, renditions, pictures in pages and Markdown,
and the cards and icons the site draws for itself."""
