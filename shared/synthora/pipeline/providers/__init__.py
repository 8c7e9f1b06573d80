"""Online providers for the pipeline steps, each behind the step's interface."""
