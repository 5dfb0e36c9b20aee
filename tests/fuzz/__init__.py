"""Fuzz targets shared by the atheris driver and the regression replay tests."""
