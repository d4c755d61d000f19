"""微平台 posts: policy, news, notices and service guides that staff publish to a region node."""
