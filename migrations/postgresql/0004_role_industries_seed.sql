-- migrations/0004_role_industries_seed.sql for PostgreSQL: standard SQL,
-- copied as it is.
--
-- Which of the five ranked industries (industries 1-5, source 2) the
-- documents name as employing or hiring for a role. A row is stored only
-- where a section names employers of the role that belong to the industry;
-- sectors outside the ranked five (retail, logistics, insurance, supply
-- chains, gaming, e-commerce) are left out, and so are broad claims such
-- as "virtually every industry".
--
-- Employers are mapped to industries as the article's own industry list
-- explains them: technology companies and tech giants are Information
-- Technology; investment banks, hedge funds, trading firms and financial
-- services institutions are Finance; hospital systems are Healthcare;
-- automotive manufacturers are Automotive; government agencies and
-- governments are Government.

INSERT INTO role_industries (role_id, industry_id, source_id, section) VALUES
-- Machine learning engineer: finance and healthcare head the industries
-- named as competing for the role; the global tech giants are said to hire
-- it most aggressively.
((SELECT id FROM roles WHERE slug = 'machine-learning-engineer'),
 (SELECT id FROM industries WHERE slug = 'finance'), 2,
 'Machine Learning Engineer Average Base Salary: $146,085'),
((SELECT id FROM roles WHERE slug = 'machine-learning-engineer'),
 (SELECT id FROM industries WHERE slug = 'healthcare'), 2,
 'Machine Learning Engineer Average Base Salary: $146,085'),
((SELECT id FROM roles WHERE slug = 'machine-learning-engineer'),
 (SELECT id FROM industries WHERE slug = 'information-technology'), 2,
 'Machine Learning Engineer Average Base Salary: $146,085'),

-- Machine learning architect: large technology companies, investment banks
-- and automotive manufacturers compete to recruit the role.
((SELECT id FROM roles WHERE slug = 'machine-learning-architect'),
 (SELECT id FROM industries WHERE slug = 'information-technology'), 2,
 'Machine Learning Architect Average Base Salary: $140,245'),
((SELECT id FROM roles WHERE slug = 'machine-learning-architect'),
 (SELECT id FROM industries WHERE slug = 'finance'), 2,
 'Machine Learning Architect Average Base Salary: $140,245'),
((SELECT id FROM roles WHERE slug = 'machine-learning-architect'),
 (SELECT id FROM industries WHERE slug = 'automotive'), 2,
 'Machine Learning Architect Average Base Salary: $140,245'),

-- AI research scientist: the research labs of the big technology companies
-- recruit the role.
((SELECT id FROM roles WHERE slug = 'ai-research-scientist'),
 (SELECT id FROM industries WHERE slug = 'information-technology'), 2,
 'AI Research Scientist Average Base Salary: $136,245'),

-- Data science manager: hedge funds, hospital systems and government
-- agencies are named among its employers.
((SELECT id FROM roles WHERE slug = 'data-science-manager'),
 (SELECT id FROM industries WHERE slug = 'finance'), 2,
 'Data Science Manager Average Base Salary: $135,091'),
((SELECT id FROM roles WHERE slug = 'data-science-manager'),
 (SELECT id FROM industries WHERE slug = 'healthcare'), 2,
 'Data Science Manager Average Base Salary: $135,091'),
((SELECT id FROM roles WHERE slug = 'data-science-manager'),
 (SELECT id FROM industries WHERE slug = 'government'), 2,
 'Data Science Manager Average Base Salary: $135,091'),

-- Software engineer at elite technology companies: the role is defined by
-- working at large technology platforms and software companies.
((SELECT id FROM roles WHERE slug = 'software-engineer-elite-tech'),
 (SELECT id FROM industries WHERE slug = 'information-technology'), 1,
 'Software Engineering at Elite Technology Companies'),

-- Cloud architect: paid well at high-growth technology companies (the
-- "every major sector" claim is too broad to tie to any one industry).
((SELECT id FROM roles WHERE slug = 'cloud-architect'),
 (SELECT id FROM industries WHERE slug = 'information-technology'), 1,
 'Cloud Architecture and the Infrastructure Specialization Premium'),

-- Technical product manager: works at growth-stage and established
-- technology companies.
((SELECT id FROM roles WHERE slug = 'technical-product-manager'),
 (SELECT id FROM industries WHERE slug = 'information-technology'), 1,
 'Technical Product Management in High-Growth Environments'),

-- Sales engineer: works at enterprise software companies.
((SELECT id FROM roles WHERE slug = 'sales-engineer'),
 (SELECT id FROM industries WHERE slug = 'information-technology'), 1,
 'Technology Sales Engineering and Customer-Facing Technical Roles'),

-- Quant developers and researchers: hedge funds, proprietary trading firms
-- and investment banks.
((SELECT id FROM roles WHERE slug = 'quantitative-developer-researcher'),
 (SELECT id FROM industries WHERE slug = 'finance'), 1,
 'Quantitative Finance and the Intersection of Technology and Capital Markets'),

-- Blockchain developers: demand from financial services institutions and
-- from governments (central bank digital currencies, public records).
((SELECT id FROM roles WHERE slug = 'blockchain-developer'),
 (SELECT id FROM industries WHERE slug = 'finance'), 1,
 'Blockchain and Distributed Systems Development'),
((SELECT id FROM roles WHERE slug = 'blockchain-developer'),
 (SELECT id FROM industries WHERE slug = 'government'), 1,
 'Blockchain and Distributed Systems Development');
