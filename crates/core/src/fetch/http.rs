//! The HTTP side of fetching, on reqwest.

use reqwest::header::{
    HeaderMap, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, LOCATION,
    RETRY_AFTER,
};
use reqwest::{Response, StatusCode};
use url::Url;

use super::limits::Limits;
use super::{Document, ErrorKind, FetchConfig, FetchError, Outcome, Validators};

/// How long to stay away after a 429 that names no time.
const DEFAULT_RETRY_SECS: i64 = 3600;
/// A Retry-After further away than this is treated as this: a feed is never silently
/// abandoned for months because a server said so once.
const MAX_RETRY_SECS: i64 = 7 * 86_400;

pub(super) struct HttpClient {
    client: reqwest::Client,
    config: FetchConfig,
    limits: Limits,
}

impl HttpClient {
    pub(super) fn new(config: FetchConfig) -> Result<Self, FetchError> {
        let client = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            // Redirects are followed by hand to record permanent moves and catch loops.
            .redirect(reqwest::redirect::Policy::none())
            .gzip(true)
            .brotli(true)
            .deflate(true)
            .build()?;
        let limits = Limits::new(config.max_in_flight, config.max_per_host);
        Ok(HttpClient {
            client,
            config,
            limits,
        })
    }

    pub(super) fn config(&self) -> &FetchConfig {
        &self.config
    }

    pub(super) async fn fetch(
        &self,
        url: Url,
        validators: &Validators,
    ) -> Result<Outcome, FetchError> {
        let host = url.host_str().unwrap_or_default().to_owned();
        let _permit = self.limits.acquire(&host).await;
        match tokio::time::timeout(self.config.timeout, self.follow(url, validators)).await {
            Ok(result) => result,
            Err(_) => Err(FetchError::new(
                ErrorKind::Timeout,
                format!(
                    "no complete answer within {} s",
                    self.config.timeout.as_secs()
                ),
            )),
        }
    }

    async fn follow(&self, start: Url, validators: &Validators) -> Result<Outcome, FetchError> {
        let mut url = start.clone();
        let mut visited = vec![start.clone()];
        let mut all_permanent = true;
        for _ in 0..=self.config.max_redirects {
            let response = self.request(&url, validators).send().await?;
            let status = response.status();
            if !status.is_redirection() || status == StatusCode::NOT_MODIFIED {
                let moved_to = (all_permanent && url != start).then(|| url.to_string());
                return self.interpret(response, validators, moved_to).await;
            }
            let next = redirect_target(&url, response.headers())?;
            if visited.contains(&next) {
                return Err(FetchError::new(
                    ErrorKind::Redirects,
                    format!("redirect loop at {next}"),
                ));
            }
            all_permanent &= matches!(
                status,
                StatusCode::MOVED_PERMANENTLY | StatusCode::PERMANENT_REDIRECT
            );
            visited.push(next.clone());
            url = next;
        }
        Err(FetchError::new(
            ErrorKind::Redirects,
            format!("more than {} redirects", self.config.max_redirects),
        ))
    }

    fn request(&self, url: &Url, validators: &Validators) -> reqwest::RequestBuilder {
        let mut request = self.client.get(url.clone()).header(
            reqwest::header::ACCEPT,
            "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.5, */*;q=0.1",
        );
        if let Some(etag) = &validators.etag {
            request = request.header(IF_NONE_MATCH, etag);
        }
        if let Some(modified) = &validators.last_modified {
            request = request.header(IF_MODIFIED_SINCE, modified);
        }
        request
    }

    async fn interpret(
        &self,
        response: Response,
        stored: &Validators,
        moved_to: Option<String>,
    ) -> Result<Outcome, FetchError> {
        let status = response.status();
        let headers = response.headers().clone();
        match status.as_u16() {
            200..=299 => {}
            304 => return Ok(Outcome::NotModified { moved_to }),
            410 => return Ok(Outcome::Gone),
            429 | 503 => {
                let until = retry_after(&headers, crate::time::now());
                return match (status.as_u16(), until) {
                    (_, Some(until)) => Ok(Outcome::RetryLater {
                        until,
                        status: status.as_u16(),
                    }),
                    (429, None) => Ok(Outcome::RetryLater {
                        until: crate::time::now() + DEFAULT_RETRY_SECS,
                        status: 429,
                    }),
                    _ => Err(status_error(status, &headers)),
                };
            }
            _ => return Err(status_error(status, &headers)),
        }
        let validators = Validators {
            etag: header(&headers, ETAG),
            last_modified: header(&headers, LAST_MODIFIED),
        };
        // Some servers ignore If-None-Match and answer 200 with the very same ETag.
        if validators.etag.is_some() && validators.etag == stored.etag {
            return Ok(Outcome::NotModified { moved_to });
        }
        let final_url = response.url().to_string();
        let body = read_capped(response, self.config.max_bytes).await?;
        Ok(Outcome::Fetched {
            document: Document {
                body,
                content_type: header(&headers, CONTENT_TYPE),
                validators,
                final_url,
            },
            moved_to,
        })
    }
}

/// Reads the (already decompressed) body, refusing to hold more than `max` bytes: a gzip
/// bomb or an endless stream ends here, not in memory.
async fn read_capped(mut response: Response, max: usize) -> Result<Vec<u8>, FetchError> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > max {
            return Err(FetchError::new(
                ErrorKind::TooLarge,
                format!("the response is larger than {} MiB", max / (1024 * 1024)),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn redirect_target(from: &Url, headers: &HeaderMap) -> Result<Url, FetchError> {
    let location = header(headers, LOCATION)
        .ok_or_else(|| FetchError::new(ErrorKind::Http, "a redirect without a Location header"))?;
    from.join(&location).map_err(|e| {
        FetchError::new(
            ErrorKind::Http,
            format!("a redirect to an invalid address ({e})"),
        )
    })
}

fn header(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers.get(name)?.to_str().ok().map(str::to_owned)
}

/// Retry-After as delay seconds or an HTTP date, as Unix seconds, capped.
fn retry_after(headers: &HeaderMap, now: i64) -> Option<i64> {
    let value = header(headers, RETRY_AFTER)?;
    let value = value.trim();
    let until = match value.parse::<i64>() {
        Ok(secs) => now + secs.max(0),
        Err(_) => chrono::DateTime::parse_from_rfc2822(value)
            .ok()?
            .timestamp(),
    };
    Some(until.clamp(now, now + MAX_RETRY_SECS))
}

fn status_error(status: StatusCode, headers: &HeaderMap) -> FetchError {
    let code = status.as_u16();
    let reason = status.canonical_reason().unwrap_or("error");
    let is_bot_wall = header(headers, reqwest::header::SERVER)
        .is_some_and(|s| s.to_lowercase().contains("cloudflare"))
        || headers.contains_key("cf-mitigated");
    let (kind, message) = match code {
        403 if is_bot_wall => (
            ErrorKind::BotProtection,
            format!("{code} {reason}: the site's bot protection blocked the request"),
        ),
        401 | 403 => (
            ErrorKind::Forbidden,
            format!("{code} {reason}: the server refuses access"),
        ),
        404 => (
            ErrorKind::NotFound,
            format!("{code} {reason}: no feed at this address"),
        ),
        500..=599 => (
            ErrorKind::Server,
            format!("{code} {reason}: the server failed"),
        ),
        _ => (ErrorKind::Http, format!("{code} {reason}")),
    };
    FetchError::new(kind, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_seconds_and_dates_and_is_capped() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "120".parse().unwrap());
        assert_eq!(retry_after(&headers, 1_000), Some(1_120));
        headers.insert(
            RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers, 1_445_412_000), Some(1_445_412_480));
        headers.insert(RETRY_AFTER, "99999999".parse().unwrap());
        assert_eq!(retry_after(&headers, 0), Some(MAX_RETRY_SECS));
    }
}
