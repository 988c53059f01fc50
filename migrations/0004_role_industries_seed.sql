-- Which industries the sources name as hiring for which roles (filled in next).
SELECT 1;
