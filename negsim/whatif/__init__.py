"""What-if analysis: many parameter values at once (sweeps, tipping points, sampling, variants)."""
