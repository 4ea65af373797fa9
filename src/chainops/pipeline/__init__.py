"""What the pipeline's services share: the events, AWS's name rules, the metrics publisher."""
