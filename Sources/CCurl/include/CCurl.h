#ifndef CCURL_H
#define CCURL_H

#include <curl/curl.h>

// Typed wrappers of libcurl's variadic calls, which Swift cannot call directly.

CURLcode CCurl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode CCurl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode CCurl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode CCurl_setopt_read_function(CURL *handle, size_t (*callback)(char *, size_t, size_t, void *));
CURLcode CCurl_getinfo_long(CURL *handle, CURLINFO info, long *value);

#endif
