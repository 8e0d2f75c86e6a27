"""S3: the functions' S3 endpoint and the product images."""
