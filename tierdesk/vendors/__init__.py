"""Line-3 coordination with partner vendors: their tickets, requests, answers and targets."""
