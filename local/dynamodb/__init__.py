"""DynamoDB: the emulator's writes made atomic as DynamoDB makes them."""
