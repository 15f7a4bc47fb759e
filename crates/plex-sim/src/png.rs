//! A minimal PNG encoder (8-bit RGB, stored deflate blocks), enough for posters.

/// Largest side of a generated image.
pub const MAX_SIDE: u32 = 1000;

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= 65_521;
        b %= 65_521;
    }
    (b << 16) | a
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A `width`×`height` PNG (each side clamped to 1..=[`MAX_SIDE`]): a vertical gradient
/// between two colours derived from `seed`, with a darker frame.
pub fn poster(width: u32, height: u32, seed: u64) -> Vec<u8> {
    let w = width.clamp(1, MAX_SIDE);
    let h = height.clamp(1, MAX_SIDE);
    let c1 = [
        (seed >> 16) as u8 | 0x40,
        (seed >> 8) as u8 | 0x20,
        seed as u8 | 0x10,
    ];
    let c2 = [
        (seed >> 40) as u8 / 2,
        (seed >> 32) as u8 / 2,
        (seed >> 24) as u8 / 2,
    ];
    let mut raw = Vec::with_capacity((w as usize * 3 + 1) * h as usize);
    for y in 0..h {
        raw.push(0); // filter: none
        let t = if h > 1 { y * 255 / (h - 1) } else { 0 };
        for x in 0..w {
            let frame = x < w / 20 || x >= w - w / 20 || y < h / 20 || y >= h - h / 20;
            for i in 0..3 {
                let v = (u32::from(c1[i]) * (255 - t) + u32::from(c2[i]) * t) / 255;
                raw.push(if frame { (v / 3) as u8 } else { v as u8 });
            }
        }
    }
    // zlib stream with stored (uncompressed) deflate blocks.
    let mut z = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        z.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        z.extend_from_slice(&len.to_le_bytes());
        z.extend_from_slice(&(!len).to_le_bytes());
        z.extend_from_slice(block);
    }
    z.extend_from_slice(&adler32(&raw).to_be_bytes());

    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit, RGB, deflate, no filter, no interlace
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_and_adler_match_known_values() {
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }

    #[test]
    fn poster_has_png_signature_and_size() {
        let png = poster(30, 45, 7);
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(u32::from_be_bytes([png[16], png[17], png[18], png[19]]), 30);
        assert_eq!(u32::from_be_bytes([png[20], png[21], png[22], png[23]]), 45);
        let capped = poster(5000, 10, 7);
        assert_eq!(
            u32::from_be_bytes([capped[16], capped[17], capped[18], capped[19]]),
            MAX_SIDE
        );
    }
}
