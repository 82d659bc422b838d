"""Reports: Statistics, dashboards, exports, forecasting."""
