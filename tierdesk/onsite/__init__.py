"""On-site technical-support applications (appendix A) and the dispatch of line-2 engineers."""
