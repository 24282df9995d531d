"""Quality feedback forms from the regions to R&D test support, and the fixes they lead to."""
