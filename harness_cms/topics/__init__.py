"""Tags as public topic pages."""
