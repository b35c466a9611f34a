//! The client's address, the one place that decides it (issue 14, item 2).
//!
//! Behind a reverse proxy every connection comes from the proxy, so the address that
//! matters is in `X-Forwarded-For` — which any client can also send. It is believed
//! only from the peers named in `AKTA_TRUSTED_PROXIES` (addresses or CIDRs), and then
//! read from the right: each trusted proxy appends the address it saw, so the
//! rightmost hop that is not a trusted proxy is the client (hops to the left of it
//! are whatever the client wrote). From any other peer the header is ignored.
//!
//! The server works it out once per request (`server/src/http.rs`) and puts it in
//! the request's extensions; server functions read it with [`of_request`].

use std::net::IpAddr;

/// One address or network, `10.0.0.0/8`, `192.0.2.7`, `fd00::/8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cidr {
    net: IpAddr,
    prefix: u8,
}

impl Cidr {
    fn parse(text: &str) -> Option<Cidr> {
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let net: IpAddr = addr.trim().parse().ok()?;
        let max = if net.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.trim().parse::<u8>().ok().filter(|p| *p <= max)?,
            None => max,
        };
        Some(Cidr { net, prefix })
    }

    fn contains(&self, ip: IpAddr) -> bool {
        match (self.net, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// The peers whose `X-Forwarded-For` is believed. Empty by default: nobody's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Cidr>);

impl TrustedProxies {
    /// A comma- or space-separated list of addresses and CIDRs; the first entry that
    /// is neither is the error.
    pub fn parse(list: &str) -> Result<TrustedProxies, String> {
        list.split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Cidr::parse(s).ok_or_else(|| s.to_owned()))
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|c| c.contains(ip))
    }
}

/// Who sent a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Client {
    /// A peer that is not a trusted proxy: its own address (any `X-Forwarded-For` ignored).
    Direct(IpAddr),
    /// Through trusted proxies: the rightmost untrusted hop of `X-Forwarded-For`.
    Proxied(IpAddr),
    /// A trusted proxy that named no usable client (no header, an unreadable hop, or
    /// only trusted hops): the proxy's address, for the log only.
    Unknown { proxy: IpAddr },
}

impl Client {
    /// The address to log.
    pub fn ip(&self) -> IpAddr {
        match *self {
            Client::Direct(ip) | Client::Proxied(ip) => ip,
            Client::Unknown { proxy } => proxy,
        }
    }

    /// The real client's address, when known (what the per-address login limit counts).
    pub fn real(&self) -> Option<IpAddr> {
        match *self {
            Client::Direct(ip) | Client::Proxied(ip) => Some(ip),
            Client::Unknown { .. } => None,
        }
    }
}

/// The client of a request from `peer` with these `X-Forwarded-For` values (in the
/// order they came).
pub fn client_address<'a>(
    peer: IpAddr,
    forwarded_for: impl IntoIterator<Item = &'a str>,
    trusted: &TrustedProxies,
) -> Client {
    let peer = peer.to_canonical();
    if !trusted.contains(peer) {
        return Client::Direct(peer);
    }
    let hops: Vec<&str> = forwarded_for
        .into_iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else {
            return Client::Unknown { proxy: peer };
        };
        if !trusted.contains(ip) {
            return Client::Proxied(ip);
        }
    }
    Client::Unknown { proxy: peer }
}

/// `192.0.2.1`, `2001:db8::1`, `[2001:db8::1]:443` or `192.0.2.1:443`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    if let Ok(sock) = hop.parse::<std::net::SocketAddr>() {
        return Some(sock.ip().to_canonical());
    }
    None
}

/// The client of the request a server function runs for (set by the server's
/// middleware); `None` outside a request.
pub fn of_request() -> Option<Client> {
    leptos::prelude::use_context::<axum::http::request::Parts>()?
        .extensions
        .get::<Client>()
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn forwarded_for_from_an_untrusted_peer_is_ignored() {
        let none = TrustedProxies::default();
        assert_eq!(
            client_address(ip("203.0.113.9"), ["1.2.3.4"], &none),
            Client::Direct(ip("203.0.113.9"))
        );
        let proxies = TrustedProxies::parse("10.0.0.0/8").expect("list");
        assert_eq!(
            client_address(ip("203.0.113.9"), ["10.1.1.1"], &proxies),
            Client::Direct(ip("203.0.113.9"))
        );
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let proxies = TrustedProxies::parse("10.0.0.1, 172.16.0.0/12").expect("list");
        // The client wrote "6.6.6.6" itself; the proxy appended what it saw.
        assert_eq!(
            client_address(ip("10.0.0.1"), ["6.6.6.6, 198.51.100.7"], &proxies),
            Client::Proxied(ip("198.51.100.7"))
        );
        // Two trusted proxies in a row, and two header lines.
        assert_eq!(
            client_address(
                ip("10.0.0.1"),
                ["6.6.6.6", "198.51.100.7, 172.20.0.3"],
                &proxies
            ),
            Client::Proxied(ip("198.51.100.7"))
        );
        assert_eq!(
            client_address(ip("10.0.0.1"), ["[2001:db8::5]:4431"], &proxies),
            Client::Proxied(ip("2001:db8::5"))
        );
    }

    #[test]
    fn a_trusted_proxy_that_names_nobody_is_no_real_client() {
        let proxies = TrustedProxies::parse("127.0.0.1").expect("list");
        let unknown = Client::Unknown {
            proxy: ip("127.0.0.1"),
        };
        assert_eq!(client_address(ip("127.0.0.1"), [], &proxies), unknown);
        assert_eq!(
            client_address(ip("127.0.0.1"), ["nonsense"], &proxies),
            unknown
        );
        assert_eq!(
            client_address(ip("127.0.0.1"), ["127.0.0.1"], &proxies),
            unknown
        );
        assert_eq!(unknown.real(), None);
        assert_eq!(unknown.ip(), ip("127.0.0.1"));
    }

    #[test]
    fn lists_and_networks() {
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy.example").is_err());
        let p = TrustedProxies::parse("fd00::/8 192.168.0.0/16").expect("list");
        assert!(p.contains(ip("fd12::1")));
        assert!(p.contains(ip("192.168.200.1")));
        assert!(p.contains(ip("::ffff:192.168.1.1")));
        assert!(!p.contains(ip("192.169.0.1")));
        assert!(TrustedProxies::parse("").expect("empty").is_empty());
        assert!(
            TrustedProxies::parse("0.0.0.0/0")
                .expect("all")
                .contains(ip("8.8.8.8"))
        );
    }
}
